# kv-api container image. Built in CI by rootless BuildKit (.gitlab-ci.yml) and
# locally by buildah (test/image/run.sh); see docs/image.md.
#
# Both bases are pinned by digest (evidence: docs/image.md). They are build ARGs only so
# that test/image/run.sh can substitute local stand-ins where the registries
# are unreachable; CI always uses these defaults.
# Both are Debian 13 (trixie), so native modules built in the first stage
# link against the glibc of the second.
ARG BUILD_IMAGE=docker.io/library/node:24.21.0-trixie-slim@sha256:8ec5d7557396cfe32d21c3f9c13072355ceab22b584578ca4bb28af31120cffe
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian13:nonroot@sha256:ffab599740d4aaa66029d02b9e6d3de4f622fefb7410081c5ef69c86430f364d

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
ENV CI=true \
    NPM_CONFIG_AUDIT=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false
# Manifests first: the dependency layer is reused until the lockfile changes.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --loglevel=error
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev --loglevel=error

FROM ${RUNTIME_IMAGE} AS runtime
ARG RUNTIME_IMAGE
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=unknown
ARG CREATED=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="kv-api" \
      org.opencontainers.image.description="Key/value HTTP API on Redis (NestJS on Fastify)" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"
ENV NODE_ENV=production \
    PORT=8080 \
    MANAGEMENT_PORT=9464
# Copied before WORKDIR so that /app itself is created by COPY, owned by root:
# the runtime user can modify neither the code nor the directory.
COPY --from=build /src/package.json /app/package.json
COPY --from=build /src/node_modules /app/node_modules
COPY --from=build /src/dist /app/dist
WORKDIR /app
USER 65532:65532
EXPOSE 8080 9464
# Exec form: node is PID 1 and receives SIGTERM directly for the graceful drain.
ENTRYPOINT ["/nodejs/bin/node", "/app/dist/main.js"]
