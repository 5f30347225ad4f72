// aws-local-stepfunctions calls Promise.withResolvers (Node 22+) in every Task state; the twin runs on
// Node 20 too. Imported before the library, so it is in place whatever imports the twin first.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
