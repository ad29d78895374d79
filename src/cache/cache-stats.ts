import { Injectable } from '@nestjs/common';

/** Counters and state of the response cache, for the metrics endpoint and for tests. */
@Injectable()
export class CacheStats {
  /** False while the cache is bypassed because Redis failed (`RedisCircuit`). */
  available = true;
  /** Hits answered, each counted after the token that named its owner was checked. */
  hits = 0;
  misses = 0;
  errors = 0;
  invalidations = 0;
  /** Invalidations that carried the owner's view forward instead of dropping it (`ViewCarry`). */
  carried = 0;
  /** Requests answered without the cache because Redis was failing. */
  bypassed = 0;
  /** Bodies served but not stored, being over CACHE_MAX_BODY_BYTES. */
  oversized = 0;
}
