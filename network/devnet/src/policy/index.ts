export { parseSignaturePolicy, PolicyParseError, rolePrincipal } from './policy-parser';
export { evaluateSignaturePolicy, satisfiesPrincipal } from './policy-evaluator';
export { chaincodePolicy, orgEndorsementPolicy } from './chaincode-policy';
export type { EndorsementPolicySpec } from './chaincode-policy';
