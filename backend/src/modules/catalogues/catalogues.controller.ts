import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { checkKindCatalogue, clipStateCatalogue, type CheckKindCatalogueDto, type ClipStateCatalogueDto } from '@provenant/shared';
import { Authenticated } from '../auth/access-policy';
import { ApiContract } from '../http/api-contract';

/** The compiled-in catalogues, served so integrations need not copy them (the review reason codes are under /review). */
@ApiTags('catalogues')
@Controller('api/v1/catalogues')
export class CataloguesController {
  /** Every clip state and the states it may move to. */
  @Get('clip-states')
  @ApiContract({ summary: 'Clip states and their allowed transitions', answer: { status: 200, type: 'ClipStateCatalogueDto' } })
  @Authenticated()
  clipStates(): ClipStateCatalogueDto {
    return clipStateCatalogue();
  }

  /** The checks a clip goes through, the pipeline stages that implement each, and the verdicts a check can reach. */
  @Get('check-kinds')
  @ApiContract({ summary: 'Check kinds, their stages, and verdicts', answer: { status: 200, type: 'CheckKindCatalogueDto' } })
  @Authenticated()
  checkKinds(): CheckKindCatalogueDto {
    return checkKindCatalogue();
  }
}
