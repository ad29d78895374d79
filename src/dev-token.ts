import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DEVELOPMENT_EMAIL, DevelopmentAccount } from './auth/development-account.js';
import { accountsOneOffModule } from './auth/accounts-one-off.js';
import { bootOrExit } from './bootstrap.js';

/**
 * `npm start` runs this once the API answers, outside production only: a fresh personal
 * access token for the local development account, printed with a curl line that works as
 * printed. Refuses to run with NODE_ENV=production.
 */

await bootOrExit(async (config) => {
  if (config.env === 'production') {
    throw new Error('no development account in production (NODE_ENV=production)');
  }
  const app = await NestFactory.createApplicationContext(
    accountsOneOffModule(config, DevelopmentAccount),
    {
      logger: ['error', 'warn'],
    },
  );
  const { token, scopes } = await app.get(DevelopmentAccount).freshToken();
  await app.close();
  const url = `http://127.0.0.1:${config.port}`;
  process.stdout.write(
    `Dev token:  ${token} (${DEVELOPMENT_EMAIL}: ${scopes.join(', ')}; a new one at each start)\n` +
      `Try it:     curl -H 'Authorization: Bearer ${token}' ${url}/todos\n`,
  );
}, 'Could not make the development token');
