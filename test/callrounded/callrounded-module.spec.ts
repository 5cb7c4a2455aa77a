import { describe, expect, it } from '@jest/globals';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CallRoundedClient } from '../../src/callrounded/callrounded.client';
import { CallRoundedModule } from '../../src/callrounded/callrounded.module';
import { startSimulator } from '../../src/simulator/simulator';
import { SALON_AGENT_ID } from '../kit/simulator';

@Injectable()
class NeedsClient {
  constructor(readonly client: CallRoundedClient) {}
}

/** A feature module that does not import CallRoundedModule: the module is global. */
@Module({ providers: [NeedsClient], exports: [NeedsClient] })
class FeatureModule {}

describe('CallRoundedModule', () => {
  it('provides one global client built from forRoot options', async () => {
    const sim = await startSimulator();
    const moduleRef = await Test.createTestingModule({
      imports: [CallRoundedModule.forRoot({ baseUrl: sim.url, apiKey: sim.apiKey }), FeatureModule],
    }).compile();
    const app = await moduleRef.init();
    try {
      const client = app.get(CallRoundedClient);
      expect(app.get(NeedsClient).client).toBe(client);
      expect((await client.getAgent(SALON_AGENT_ID)).id).toBe(SALON_AGENT_ID);
    } finally {
      await app.close();
      await sim.close();
    }
  });

  it('builds the client from a factory with forRootAsync', async () => {
    const sim = await startSimulator();
    const moduleRef = await Test.createTestingModule({
      imports: [
        CallRoundedModule.forRootAsync({
          useFactory: () => ({ baseUrl: sim.url, apiKey: sim.apiKey, timeoutMs: 2000 }),
        }),
      ],
    }).compile();
    const app = await moduleRef.init();
    try {
      expect((await app.get(CallRoundedClient).getAgent(SALON_AGENT_ID)).language).toBe('fr');
    } finally {
      await app.close();
      await sim.close();
    }
  });
});
