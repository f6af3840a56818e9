/**
 * What a project says about itself (description, logo, URL, legal details), kept with its
 * settings: the console shows and edits them, nothing else reads them.
 */
export const PROJECT_DETAIL_FIELDS = ['description', 'logo', 'url', 'legalName', 'legalCountry', 'legalState', 'legalCity', 'legalAddress', 'legalTaxId'] as const;
export type ProjectDetailField = (typeof PROJECT_DETAIL_FIELDS)[number];
export type ProjectDetails = Record<ProjectDetailField, string>;

/** Appwrite's longest value of each field. */
export const PROJECT_DETAIL_MAX_LENGTH: Record<ProjectDetailField, number> = {
  description: 256,
  logo: 256,
  url: 256,
  legalName: 256,
  legalCountry: 256,
  legalState: 256,
  legalCity: 256,
  legalAddress: 256,
  legalTaxId: 256,
};

export const detailSetting = (field: ProjectDetailField): string => `detail:${field}`;

export function toProjectDetails(settings: ReadonlyMap<string, unknown>): ProjectDetails {
  const details = {} as ProjectDetails;
  for (const field of PROJECT_DETAIL_FIELDS) {
    const value = settings.get(detailSetting(field));
    details[field] = typeof value === 'string' ? value : '';
  }
  return details;
}
