import { Module } from '@nestjs/common';
import { CataloguesController } from './catalogues.controller';

/** Serves the catalogues compiled into @provenant/shared: clip states and check kinds. */
@Module({ controllers: [CataloguesController] })
export class CataloguesModule {}
