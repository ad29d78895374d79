import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/configuration.js';
import { OriginalTodosRepository } from './original-todos.repository.js';

/** How far back a poll looks: longer than any poll gap or clock skew between the services. */
const WINDOW_MS = 60_000;

/**
 * During the cutover (STORE_ORIGINAL_TIMES), the original writes todos into the same
 * collection without invalidating this service's cache. Every ORIGINAL_WRITES_POLL_MS the
 * worker reads the ids made in the last minute (ObjectIds carry their creation second, and
 * the `_id` index serves the range) and invalidates the cached views when one is new, so a
 * todo the original wrote shows within a poll and a read. It cannot tell the original's
 * todos from this service's own, which were invalidated already: one more invalidation each.
 */
@Injectable()
export class OriginalWritesWatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OriginalWritesWatcher.name);
  private timer?: NodeJS.Timeout;
  /** The ids of the last poll; undefined before the first, which invalidates in any case. */
  private seen?: Set<string>;
  private polling = false;

  constructor(
    private readonly todos: OriginalTodosRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.storeOriginalTimes) return;
    this.timer = setInterval(() => void this.poll(), this.config.originalWritesPollMs);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One look; whether it invalidated. Never throws: a failed poll is tried again next time. */
  async poll(): Promise<boolean> {
    if (this.polling) return false;
    this.polling = true;
    try {
      const ids = await this.todos.idsCreatedSince(new Date(Date.now() - WINDOW_MS));
      const fresh = this.seen === undefined || ids.some((id) => !this.seen?.has(id));
      this.seen = new Set(ids);
      if (fresh) await this.todos.noticeOutsideWrites();
      return fresh;
    } catch (error) {
      this.logger.warn(`could not look for the original's writes: ${String(error)}`);
      return false;
    } finally {
      this.polling = false;
    }
  }
}
