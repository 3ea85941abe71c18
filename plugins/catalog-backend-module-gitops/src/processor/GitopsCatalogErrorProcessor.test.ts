import { Entity } from '@backstage/catalog-model';
import { GITOPS_CATALOG_ERROR_ANNOTATION } from '../mapping/annotations';
import { GitopsCatalogErrorProcessor } from './GitopsCatalogErrorProcessor';

const location = { type: 'url', target: 'https://git.example.com/x.yaml' };
const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'api', annotations },
  spec: {},
});

describe('GitopsCatalogErrorProcessor', () => {
  it('turns the carried error into a processing error', async () => {
    const emit = jest.fn();
    const carried = entity({ [GITOPS_CATALOG_ERROR_ANNOTATION]: 'YAML error' });
    await expect(
      new GitopsCatalogErrorProcessor().preProcessEntity(
        carried,
        location,
        emit,
      ),
    ).resolves.toBe(carried);
    expect(emit).toHaveBeenCalledWith({
      type: 'error',
      location,
      error: expect.objectContaining({
        name: 'InputError',
        message: 'YAML error',
      }),
    });
  });

  it('leaves other entities alone', async () => {
    const emit = jest.fn();
    await new GitopsCatalogErrorProcessor().preProcessEntity(
      entity({}),
      location,
      emit,
    );
    expect(emit).not.toHaveBeenCalled();
  });
});
