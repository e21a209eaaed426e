/** yargs drops a bare "-" from positionals; run() carries it through as this sentinel. */
export const STDIN_PATH = '\0stdin';
