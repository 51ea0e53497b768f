import type { AsyncOf, DeliveryInput, EventInput, EventRepository, StoreResult } from '@switchboard/db';

interface Waiting {
  item: { delivery: DeliveryInput; events: EventInput[] };
  resolve: (result: StoreResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for webhook ingest: requests that arrive in the same turn of the event loop are stored
 * in one transaction, and each is answered only after that transaction commits. Durability per request
 * is unchanged; the cost of a commit is shared.
 */
export class IngestQueue {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly events: Pick<AsyncOf<EventRepository>, 'storeDeliveries'>) {}

  store(delivery: DeliveryInput, events: EventInput[]): Promise<StoreResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item: { delivery, events }, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private async flush() {
    const batch = this.waiting;
    this.waiting = [];
    this.scheduled = false;
    try {
      const results = await this.events.storeDeliveries(batch.map((w) => w.item));
      for (const [i, w] of batch.entries()) w.resolve(results[i]!);
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
