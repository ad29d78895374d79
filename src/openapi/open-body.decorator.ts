import { ApiExtension } from '@nestjs/swagger';

/** Marks an operation for `buildOpenApiDocument`, which removes it from the served document. */
export const OPEN_BODY_EXTENSION = 'x-open-body';

/**
 * A route whose body may hold fields it does not define, as it reads the body itself and
 * ignores the rest (the original's create form). Every other body goes through the
 * validation pipe, which refuses unknown fields, and the document says so of its schema.
 */
export const OpenBody = () => ApiExtension(OPEN_BODY_EXTENSION, true);
