import cliProgress from 'cli-progress';

/** A progress bar on stderr (silent when stderr is not a terminal, e.g. in CI logs). */
export function progressBar(label: string, total: number, unit = 'filas') {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (value: number) => bar.update(Math.min(value, total)),
    setTotal: (value: number) => bar.setTotal(value),
    stop: () => bar.stop(),
  };
}
