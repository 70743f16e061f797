# rtm-kit server image: `docker build -t rtm-kit .` then
# `docker run -p 8080:8080 -e RTM_APPS=<appId>:<certificate> rtm-kit`.

# Build: compile the protocol and the server (TypeScript) with every dev dependency.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/client/package.json packages/client/
COPY packages/store/package.json packages/store/
COPY packages/react/package.json packages/react/
COPY packages/ui/package.json packages/ui/
COPY server/package.json server/
# Scripts off: the root `prepare` builds every package, the image needs two.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY packages/protocol packages/protocol
COPY server/tsconfig.json server/
COPY server/src server/src
RUN npx tsc -b packages/protocol server

# Runtime: production dependencies of the server and the protocol only, as a non-root user.
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    RTM_MEDIA_DIR=/data/media
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/protocol/package.json packages/protocol/
COPY packages/client/package.json packages/client/
COPY packages/store/package.json packages/store/
COPY packages/react/package.json packages/react/
COPY packages/ui/package.json packages/ui/
COPY server/package.json server/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w packages/protocol -w server \
    && npm cache clean --force \
    && mkdir -p /data/media && chown node:node /data/media
COPY --from=build /app/packages/protocol/dist packages/protocol/dist
COPY --from=build /app/server/dist server/dist
USER node
EXPOSE 8080
VOLUME ["/data/media"]
# SIGTERM drains: readyz 503, clients reconnect elsewhere, exit within RTM_DRAIN_TIMEOUT_MS.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server/dist/cli.js"]
