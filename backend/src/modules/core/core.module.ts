import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { loadConfigOrExit, type AppConfig } from '../../config/app-config';
import { resolveFfmpegBinaries } from '../../engines/media';
import { LocalContentStore } from '../../engines/storage/local-content-store';
import { join } from 'node:path';
import { APP_CONFIG, CONTENT_STORE, FFMPEG_BINARIES } from './tokens';

const config = loadConfigOrExit();

/** Configuration, database, storage and media binaries, shared by the api and the worker. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: config.DATABASE_URL,
      synchronize: false,
      migrationsRun: false,
      // A database that stops answering (failover, dropped packets) fails fast instead of hanging on the OS's TCP timeout,
      // so requests get a 503 and stage jobs are deferred rather than held.
      extra: { max: 20, application_name: 'provenant', connectionTimeoutMillis: 5000, keepAlive: true, keepAliveInitialDelayMillis: 10_000 },
    }),
  ],
  providers: [
    { provide: APP_CONFIG, useValue: config },
    {
      provide: CONTENT_STORE,
      useFactory: (cfg: AppConfig) => new LocalContentStore(join(cfg.dataDir, 'store')).init(),
      inject: [APP_CONFIG],
    },
    {
      provide: FFMPEG_BINARIES,
      useFactory: (cfg: AppConfig) => resolveFfmpegBinaries({ FFMPEG_PATH: cfg.FFMPEG_PATH, FFPROBE_PATH: cfg.FFPROBE_PATH }),
      inject: [APP_CONFIG],
    },
  ],
  exports: [APP_CONFIG, CONTENT_STORE, FFMPEG_BINARIES, TypeOrmModule],
})
export class CoreModule {}
