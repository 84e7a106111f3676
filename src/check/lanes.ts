// Runs tasks at most N at a time, the rest in the order they came: the side-by-side checks share
// a few lanes of deliveries.

/** Runs a task in a lane; resolves or rejects as the task does. */
export type Lane = <T>(task: () => Promise<T>) => Promise<T>;

/** Lanes for at most `size` tasks at once. */
export function createLanes(size: number): Lane {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < size) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiting task.
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/** No limit: the task runs at once (the checks that run alone). */
export const noLane: Lane = (task) => task();
