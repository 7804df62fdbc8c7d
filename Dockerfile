# Rapport as one image; the same image runs every role (RAPPORT_ROLES) so nodes scale out behind a
# load balancer on one PostgreSQL.
FROM node:20-bookworm-slim

# pg_dump / pg_restore for `rapport backup` and `rapport restore` against PostgreSQL.
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client tini \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-fund --no-audit && npm cache clean --force
COPY . .
# Build the console and the chat widget now so a container never builds at start.
RUN npm run build:web && npm run build:widget

ENV HOST=0.0.0.0 \
    PORT=3000 \
    RAPPORT_SMTP_PORT=2525 \
    RAPPORT_DATA_DIR=/data \
    LOG_LEVEL=info
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
EXPOSE 3000 2525
USER node
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/api/v1/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/rapport", "start"]
