# One image for the api and the worker; docker-compose.yml and deploy/k8s pick the process with `command`.
# TypeScript runs from source through tsx, so the image keeps the dev dependencies that provide it.
FROM node:20-bookworm-slim

# The lockfile is written by npm 11, whose `allowScripts` limits install scripts to the packages listed in package.json.
RUN npm install -g npm@11 --no-audit --no-fund

WORKDIR /app

# Manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/domain/package.json packages/domain/
COPY packages/db/package.json packages/db/
COPY workflows/package.json workflows/
COPY activities/package.json activities/
COPY api/package.json api/
COPY web/package.json web/
# The launcher's install step: npm ci, or npm install when the lockfile lacks other platforms' optional binaries.
COPY scripts scripts
RUN node scripts/install.mjs

COPY . .
RUN npm run build -w web \
  && mkdir -p /data/uploads \
  && chown node:node /data/uploads

ENV NODE_ENV=production \
    WEB_DIST_DIR=/app/web/dist \
    UPLOAD_DIR=/data/uploads

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/src/server.ts"]
