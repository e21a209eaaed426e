// Preloaded into every Node process the bench runs (NODE_OPTIONS=--require): at exit, the process's own peak resident
// set (worker threads included, child processes such as git not) is appended to $KG_BENCH_RSS_FILE, in KiB.
const file = process.env.KG_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      require('node:fs').appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // the bench then reports no figure
    }
  });
}
