// Rapport's own server for a bench, in a process of its own: startRapport with the configuration from
// the environment, exactly what `rapport start` runs except the console build, which a bench of the
// API does not need (and which fails while someone is halfway through editing web/).
// Run as: node --import tsx bench/support/app-server.ts (PORT=0 picks a free port).
import { loadConfig } from '../../src/platform/config.ts';
import { startRapport } from '../../src/server.ts';

const running = await startRapport(loadConfig());
console.log(`rapport listening on port ${running.port}`);

process.once('SIGTERM', () => {
  void running.stop().then(() => process.exit(0));
});
