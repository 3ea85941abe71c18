import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { GITOPS_CATALOG_ERROR_ANNOTATION } from '../mapping/annotations';

/**
 * Turns the error the GitOps provider carries on an entity (its file at the
 * base commit is not usable) into a processing error. Processing then fails,
 * so the catalog keeps the entity as it last processed it and shows the
 * error on it (`status.items`), instead of dropping the entity or taking a
 * broken one.
 *
 * @public
 */
export class GitopsCatalogErrorProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'GitopsCatalogErrorProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const error =
      entity.metadata.annotations?.[GITOPS_CATALOG_ERROR_ANNOTATION];
    if (error) {
      emit(processingResult.inputError(location, error));
    }
    return entity;
  }
}
