import { Injectable } from '@nestjs/common';

/** Set when a shutdown begins, so readiness turns 503 before anything stops. */
@Injectable()
export class ShutdownState {
  draining = false;
}
