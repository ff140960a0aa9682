# The CareLedger chaincode as a service, built from this repository
# (context: the repository root). Used by compose/compose-chaincode.yaml;
# by hand: docker build -f network/chaincode.Dockerfile -t careledger/chaincode .
# Compiled with tsc (never esbuild/tsx: fabric-contract-api needs decorator
# metadata).
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY tsconfig.base.json ./
COPY chaincode/package.json chaincode/tsconfig.build.json chaincode/
WORKDIR /build/chaincode
RUN npm install --no-audit --no-fund --no-package-lock \
 && npm install --no-save --no-audit --no-fund --no-package-lock typescript@~5.9.3 @types/node@^20
COPY chaincode/src src
RUN npx tsc -p tsconfig.build.json

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /chaincode
COPY chaincode/package.json ./
RUN npm install --omit=dev --no-audit --no-fund --no-package-lock && npm cache clean --force
COPY --from=build /build/chaincode/dist dist
# Runs as root so that it can read the TLS key from the mounted run
# directory, whose files belong to the administrator who ran network.sh.
EXPOSE 9999
CMD ["sh", "-c", "exec node node_modules/fabric-shim/cli.js server --chaincode-address \"${CHAINCODE_SERVER_ADDRESS:-0.0.0.0:9999}\" --chaincode-id \"$CHAINCODE_ID\" ${CHAINCODE_TLS_DIR:+--chaincode-tls-cert-file \"$CHAINCODE_TLS_DIR/server.crt\" --chaincode-tls-key-file \"$CHAINCODE_TLS_DIR/server.key\"}"]
