# odoo-mcp-server over streamable HTTP. Build: `docker build -t odoo-mcp-server .`
# Run:   docker run --rm -p 8080:8080 -e ODOO_MCP_HTTP_TOKEN=... -e ODOO_URL=... -e ODOO_DB=... \
#          -e ODOO_USERNAME=... -e ODOO_API_KEY=... odoo-mcp-server
# Demo:  docker run --rm -p 8080:8080 -e ODOO_MCP_HTTP_TOKEN=... odoo-mcp-server streamable_http --demo --host 0.0.0.0
#
# BASE_IMAGE only needs node 20+ and npm on PATH and a shell (scripts/docker-check.sh builds with a
# local Debian image made by debootstrap, so CI needs no image registry). No secret is baked in:
# the Odoo credentials and the client token come from the environment, or from a config file
# mounted at the path in ODOO_MCP_CONFIG.
ARG BASE_IMAGE=node:20-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
# The lockfile alone first, so a source change reuses the dependency layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
# tsc's module tree is only an input of the bundle; the runtime stage takes just what the published
# package holds (package.json "files"), plus the production dependencies the bundle may still
# require lazily (the SDK's schema validator).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund --loglevel=error

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    ODOO_MCP_HTTP_HOST=0.0.0.0 \
    ODOO_MCP_HTTP_PORT=8080
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/data ./data
COPY --from=build /src/dist/cli.js ./dist/
COPY --from=build /src/dist/chunks ./dist/chunks
# A fixed numeric id rather than a name, so the runtime stage needs no useradd (minimal bases have
# none) and Kubernetes' runAsNonRoot can check it; files stay root-owned and read-only to it.
USER 10001:10001
EXPOSE 8080
# node rather than curl: slim images have no curl. /health answers without calling Odoo.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "process.exitCode=1;fetch('http://127.0.0.1:'+(process.env.ODOO_MCP_HTTP_PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The server stops on SIGTERM itself (drains in-flight calls for http.shutdown_grace_seconds, then
# exits 0), so node can be PID 1 without an init; keep the grace under `docker stop`'s 10 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["streamable_http"]
