// A repository with a pull request in it: commits on main (the base), then a feature branch with the change under
// review. Real git, in a temp folder; the key is built at run time.
import { createRepo, type TempRepo } from './git-repo.js';
import { fakeGoogleApiKey } from './keys.js';

export interface PrRepo {
  repo: TempRepo;
  /** The base commit (main) and the head commit (feature). */
  base: string;
  head: string;
  key: string;
}

/**
 * `onBase` writes what main holds besides a README; `onBranch` writes the pull request's change (the key is given),
 * (it may commit some of it itself) committed on `feature`, which stays checked out, as in a CI checkout of the pull request.
 */
export async function createPrRepo(onBase: (r: TempRepo) => void, onBranch: (r: TempRepo, key: string) => void | Promise<void>, seed = 25): Promise<PrRepo> {
  const repo = createRepo();
  const key = fakeGoogleApiKey(seed);
  repo.write('README.md', '# app\n');
  onBase(repo);
  repo.git('add', '-A');
  const base = repo.commit('base', '2026-01-01T00:00:00Z');
  repo.git('checkout', '-q', '-b', 'feature');
  await onBranch(repo, key);
  repo.git('add', '-A');
  const head = repo.commit('the pull request', '2026-02-01T00:00:00Z');
  return { repo, base, head, key };
}
