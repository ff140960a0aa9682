# shellcheck shell=bash
# addUser: a user certificate with the attributes the chaincode reads
# (role, and patientId / deviceId where the role needs one), from the
# project's certificate tooling or, for a --ca network, from Fabric CA.
# Sourced by network.sh.

# roles_of_type TYPE: the roles the permission matrix gives an organisation type.
roles_of_type() {
  case $1 in
    hospital) echo 'admin doctor nurse device patient' ;;
    lab) echo 'admin technician' ;;
    pharmacy) echo 'admin pharmacist' ;;
  esac
}

# user_attr KEY: the value of --attr KEY=..., or nothing.
user_attr() {
  local kv
  for kv in "${CL_USER_ATTRS[@]+"${CL_USER_ATTRS[@]}"}"; do
    [ "${kv%%=*}" != "$1" ] || echo "${kv#*=}"
  done
}

validate_user_args() {
  local org kv roles
  [ -n "${CL_USER_ORG:-}" ] || usage_error "addUser needs --org MSPID"
  [ -n "${CL_USER_NAME:-}" ] || usage_error "addUser needs --name NAME"
  [ -n "${CL_USER_ROLE:-}" ] || usage_error "addUser needs --role ROLE"
  org=$(org_key_of_msp "$CL_USER_ORG")
  [ -n "$org" ] || usage_error "--org must be HospitalAMSP, HospitalBMSP, LabMSP or PharmacyMSP, not '${CL_USER_ORG}'"
  [[ $CL_USER_NAME =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]] ||
    usage_error "--name must be letters, digits, '.', '_' or '-' (at most 64), not '${CL_USER_NAME}'"
  roles=$(roles_of_type "$(org_type "$org")")
  case " $roles " in
    *" $CL_USER_ROLE "*) ;;
    *) usage_error "--role '${CL_USER_ROLE}' is not a role of a $(org_type "$org") (${roles})" ;;
  esac
  for kv in "${CL_USER_ATTRS[@]+"${CL_USER_ATTRS[@]}"}"; do
    [[ $kv =~ ^[A-Za-z][A-Za-z0-9_.]*=[^,=]+$ ]] || usage_error "--attr must be KEY=VALUE without ',' (got '${kv}')"
    case ${kv%%=*} in role | hf.*) usage_error "--attr ${kv%%=*} is set by the tooling, not by --attr" ;; esac
  done
  [ "$CL_USER_ROLE" != patient ] || [ -n "$(user_attr patientId)" ] || usage_error "a patient needs --attr patientId=ID"
  [ "$CL_USER_ROLE" != device ] || [ -n "$(user_attr deviceId)" ] || usage_error "a device needs --attr deviceId=ID"
}

# user_msp_dir ORG NAME: where the user's MSP folder goes.
user_msp_dir() { echo "$(org_dir "$1")/users/$2@$(org_domain "$1")/msp"; }

add_user() {
  local org dir
  org=$(org_key_of_msp "$CL_USER_ORG")
  dir=$(user_msp_dir "$org" "$CL_USER_NAME")
  if msp_dir_complete "$dir"; then
    die "user ${CL_USER_NAME} of ${CL_USER_ORG} exists already (${dir}); pick another --name"
  fi
  if [ "$CL_USE_CA" = true ]; then
    ca_add_user "$org" "$CL_USER_NAME" "$CL_USER_ROLE" "${CL_USER_ATTRS[@]+"${CL_USER_ATTRS[@]}"}"
  else
    certs_add_user "$org" "$CL_USER_NAME" "$CL_USER_ROLE" "${CL_USER_ATTRS[@]+"${CL_USER_ATTRS[@]}"}"
  fi
  log_ok "user ${CL_USER_NAME}@$(org_domain "$org") (${CL_USER_ROLE}) issued: ${dir}"
  echo "$dir"
}
