# syntax=docker/dockerfile:1
# One image for the app instances, the job workers and the one-shot migration (compose.yaml).
# TypeScript runs as-is on Node 24 (type stripping); there is no server build step. The project
# pins Node as the `node` devDependency for npm scripts on older machines; in the image the base
# image's Node runs everything and that devDependency is not installed. The base image's version
# is the devDependency's (.ci/check-deploy.ts checks it), so production runs the Node the tests
# ran on; Dependabot proposes both updates.

# ---- deps: every dependency, for building the web app ----
FROM node:24.21.0-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# ---- build: the web app into dist/web ----
FROM deps AS build
COPY . .
RUN npm run build:web

# ---- runtime: production dependencies, server sources, built web app; runs as `node` ----
FROM node:24.21.0-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY server/src ./server/src
COPY shared ./shared
COPY --from=build /app/dist/web ./dist/web
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Process alive (GET /healthz). Readiness (database and Redis reachable) is GET /readyz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# On SIGTERM the server turns /readyz false, drains requests and live streams, then exits.
STOPSIGNAL SIGTERM
CMD ["node", "server/src/main.ts"]
