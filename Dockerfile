# One image for the api, the worker and the migrations; docker-compose.yml and deploy/k8s pick the
# process with `command`. It runs the compiled build (npm run build): no TypeScript at run time.
ARG NODE_IMAGE=node:24-bookworm-slim

# The lockfile is written by npm 11, whose `allowScripts` limits install scripts to the packages
# listed in package.json; the base image's npm is older.
FROM ${NODE_IMAGE} AS npm
RUN npm install -g npm@11 --no-audit --no-fund
WORKDIR /app
# Manifests first, so the dependency layers are rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/db/package.json packages/db/
COPY packages/uploads/package.json packages/uploads/
COPY packages/telemetry/package.json packages/telemetry/
COPY packages/webhooks/package.json packages/webhooks/
COPY workflows/package.json workflows/
COPY activities/package.json activities/
COPY api/package.json api/
COPY web/package.json web/

# Everything the build needs (TypeScript, esbuild, webpack for the workflow bundle, Vite).
FROM npm AS build
COPY scripts scripts
RUN node scripts/install.mjs
COPY . .
RUN npm run build

# Production dependencies only: no embedded servers, browsers, linters or the pinned `node`
# package (the base image is the runtime).
FROM npm AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/@catalog

FROM ${NODE_IMAGE}
# HOST defaults to 127.0.0.1, which inside a container nobody else can reach; who reaches the
# container is decided where it runs (`-p`, compose, the k8s Service), which also set HOST themselves.
ENV HOST=0.0.0.0
ENV NODE_ENV=production \
    WEB_DIST_DIR=/app/web/dist \
    UPLOAD_DIR=/data/uploads
WORKDIR /app
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dist dist
COPY --from=build /app/web/dist web/dist
RUN mkdir -p /data/uploads && chown node:node /data/uploads
USER node
EXPOSE 3000 3001
CMD ["node", "--max-semi-space-size=4", "dist/api/main.js"]
