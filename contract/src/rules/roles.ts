import type { OrgType, Role } from './input-schemas';

/** The roles each organisation type issues. */
export const rolesByOrgType: Readonly<Record<OrgType, readonly Role[]>> = {
  hospital: ['admin', 'doctor', 'nurse', 'device', 'patient'],
  lab: ['admin', 'technician'],
  pharmacy: ['admin', 'pharmacist'],
};

export function isRoleOf(orgType: OrgType, role: string | null | undefined): role is Role {
  return role !== null && role !== undefined && (rolesByOrgType[orgType] as readonly string[]).includes(role);
}
