/** Concurrent calls for one key share one promise, so one database load serves them all. */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  /**
   * The flight running for `key`, or a new one from `start`. The key stays taken until the
   * flight settles and `after` (say, storing the result) is done, so a call arriving in
   * between takes the result instead of starting again; `after` delays no caller.
   */
  run(key: string, start: () => Promise<T>, after?: (value: T) => Promise<unknown>): Promise<T> {
    let flight = this.flights.get(key);
    if (!flight) {
      flight = start();
      this.flights.set(key, flight);
      const forget = () => void this.flights.delete(key);
      (after ? flight.then(after) : flight).then(forget, forget);
    }
    return flight;
  }
}
