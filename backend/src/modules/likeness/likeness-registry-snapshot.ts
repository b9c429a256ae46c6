import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Gazetteer } from '../../engines/gazetteer';
import { decodeTemplate, LIKENESS_MODEL_VERSION, TemplateIndex } from '../../engines/likeness';
import type { SecretBox } from '../core/secret-box';
import { logger } from '../core/logger';
import { LIKENESS_TEMPLATE_BOX } from './likeness-tokens';
import { LikenessSubjectRepository, type LikenessGrantRecord, type LikenessSubjectRecord } from './likeness-subject.repository';

/** The registry as one check sees it: its version, its names as a gazetteer, each subject and its unrevoked grants. */
export interface LikenessRegistryView {
  version: number;
  names: Gazetteer;
  /** The subjects' face templates of the current model, opened. */
  faces: TemplateIndex;
  subjects: ReadonlyMap<string, LikenessSubjectRecord>;
  grants: ReadonlyMap<string, readonly LikenessGrantRecord[]>;
}

/** What the likeness stages read the registry through. */
export interface LikenessRegistrySource {
  current(): Promise<LikenessRegistryView>;
}

/**
 * Each process keeps the registry in memory and rebuilds it when the
 * version row (bumped in every registry write's transaction) has moved: one
 * indexed read per check, a rebuild only after a change.
 */
@Injectable()
export class LikenessRegistrySnapshot implements LikenessRegistrySource {
  private view: LikenessRegistryView | null = null;
  private loading: Promise<LikenessRegistryView> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly subjects: LikenessSubjectRepository,
    @Inject(LIKENESS_TEMPLATE_BOX) private readonly box: SecretBox,
  ) {}

  async current(): Promise<LikenessRegistryView> {
    const version = await this.subjects.version(this.dataSource);
    if (this.view?.version === version) return this.view;
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<LikenessRegistryView> {
    // Read in one snapshot so the version matches the rows it describes.
    const view = await this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const version = await this.subjects.version(m);
      const subjects = await this.subjects.list(m);
      const grants = new Map<string, LikenessGrantRecord[]>();
      for (const g of await this.subjects.unrevokedGrants(m)) grants.set(g.subjectId, [...(grants.get(g.subjectId) ?? []), g]);
      const names = new Gazetteer(subjects.flatMap((s) => [s.displayName, ...s.aliases].map((phrase) => ({ id: s.id, phrase, distinctive: s.distinctive }))));
      const faces = new TemplateIndex(LIKENESS_MODEL_VERSION);
      let otherModel = 0;
      for (const t of await this.subjects.templates(m)) {
        if (t.modelVersion !== LIKENESS_MODEL_VERSION) otherModel++;
        else faces.add({ subjectId: t.subjectId, templateId: t.id, ...decodeTemplate(this.box.open(t.sealedEmbedding, t.id)) });
      }
      if (otherModel) logger.warn({ otherModel, model: LIKENESS_MODEL_VERSION }, 'face templates of another model are not matched; their subjects must enrol again');
      return { version, names, faces, subjects: new Map(subjects.map((s) => [s.id, s])), grants };
    });
    this.view = view;
    return view;
  }
}
