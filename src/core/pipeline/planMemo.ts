// Work that is the same for every host of a rollout, done once: the flake's state, its secret
// scan and source diff, a build of one attribute, a closure diff between two store paths. Lives
// as long as one rollout (or fleet plan) in one process; keys hold every input of the work.
export class PlanMemo {
  private readonly done = new Map<string, Promise<unknown>>();

  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.done.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      this.done.set(key, p);
      // A failure is not kept: the next host tries again (and says its own error).
      p.catch(() => this.done.delete(key));
    }
    return p;
  }
}

/** Without a memo, the work is simply done. */
export function onceWith(memo: PlanMemo | undefined): <T>(key: string, make: () => Promise<T>) => Promise<T> {
  return (key, make) => (memo ? memo.once(key, make) : make());
}
