# The CareLedger chaincode as a service, built from this repository
# (context: the repository root). Used by compose/compose-chaincode.yaml;
# by hand: docker build -f network/chaincode.Dockerfile -t careledger/chaincode .
# Installed from the repository's package-lock.json (npm ci, the chaincode's
# workspace and the contract package it builds with, nothing else), compiled
# with tsc (never esbuild/tsx: fabric-contract-api needs decorator metadata).
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json tsconfig.base.json ./
COPY contract/package.json contract/tsconfig.build.json contract/
COPY chaincode/package.json chaincode/tsconfig.build.json chaincode/
RUN npm ci --no-audit --no-fund --ignore-scripts -w contract -w chaincode --include-workspace-root
COPY contract/src contract/src
COPY chaincode/src chaincode/src
RUN npm run build -w chaincode

FROM node:20-bookworm-slim AS production-modules
WORKDIR /build
COPY package.json package-lock.json ./
COPY contract/package.json contract/
COPY chaincode/package.json chaincode/
RUN npm ci --no-audit --no-fund --ignore-scripts --omit=dev -w contract -w chaincode

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-modules /build/node_modules node_modules
COPY contract/package.json contract/
COPY chaincode/package.json chaincode/
COPY --from=build /build/contract/dist contract/dist
COPY --from=build /build/chaincode/dist chaincode/dist
WORKDIR /app/chaincode
# Runs as root so that it can read the TLS key from the mounted run
# directory, whose files belong to the administrator who ran network.sh.
EXPOSE 9999
CMD ["sh", "-c", "exec node ../node_modules/fabric-shim/cli.js server --chaincode-address \"${CHAINCODE_SERVER_ADDRESS:-0.0.0.0:9999}\" --chaincode-id \"$CHAINCODE_ID\" ${CHAINCODE_TLS_DIR:+--chaincode-tls-cert-file \"$CHAINCODE_TLS_DIR/server.crt\" --chaincode-tls-key-file \"$CHAINCODE_TLS_DIR/server.key\"}"]
