// Rapport's own server for a bench, in a process of its own: startRapport with the configuration from
// the environment, exactly what `rapport start` runs except the console build, which a bench of the
// API does not need (and which fails while someone is halfway through editing web/).
// Run as: node --import tsx bench/support/app-server.ts (PORT=0 picks a free port).
// BENCH_CPU_PROF=<dir> writes a CPU profile of the run there when the server is told to stop, before
// shutdown (node's own --cpu-prof writes only at exit, which a slow drain can push past the kill).
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { loadConfig } from '../../src/platform/config.ts';
import { startRapport } from '../../src/server.ts';

const profileDir = process.env.BENCH_CPU_PROF;
const profiler = profileDir ? new Session() : undefined;
if (profiler) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}

const running = await startRapport(loadConfig());
console.log(`rapport listening on port ${running.port}`);

process.once('SIGTERM', () => {
  void (async () => {
    if (profiler && profileDir) {
      const { profile } = await profiler.post('Profiler.stop');
      await writeFile(path.join(profileDir, `app-${process.pid}.cpuprofile`), JSON.stringify(profile));
    }
    await running.stop();
    process.exit(0);
  })();
});
