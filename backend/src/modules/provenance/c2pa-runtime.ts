import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { C2paWasmHost, ReleaseSigner } from '../../engines/c2pa';
import { APP_CONFIG } from '../core/tokens';
import type { C2paCredentials } from './c2pa-credentials';
import { C2PA_CREDENTIALS } from './provenance-tokens';

/**
 * The c2pa-wasm worker threads of this process: one host for signing (each
 * sign recycles its worker) and one for reading. Both are started on first
 * use and stopped at shutdown.
 */
@Injectable()
export class C2paRuntime implements OnApplicationShutdown {
  private signHost: C2paWasmHost | null = null;
  private readHost: C2paWasmHost | null = null;
  private releaseSigner: ReleaseSigner | null = null;

  constructor(
    @Inject(C2PA_CREDENTIALS) readonly credentials: C2paCredentials,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get signer(): ReleaseSigner {
    this.signHost ??= new C2paWasmHost();
    this.releaseSigner ??= new ReleaseSigner({
      signer: this.credentials.signer,
      timestampAuthority: this.credentials.timestampAuthority,
      maxInputBytes: this.config.C2PA_MAX_SIGN_BYTES,
      host: this.signHost,
    });
    return this.releaseSigner;
  }

  get reader(): C2paWasmHost {
    // Verification requests read side by side, one per core of a small api machine.
    this.readHost ??= new C2paWasmHost({ workers: 2 });
    return this.readHost;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.signHost?.close(), this.readHost?.close()]);
  }
}
