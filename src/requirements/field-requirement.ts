/** The scope one field requires, as the transformer and discovery see it. */
export interface FieldRequirement {
  /** The schema coordinate of the field, `Type.field`. */
  readonly coordinate: string;
  readonly resource: string;
  readonly action: string;
  /** `resource.action`. */
  readonly scope: string;
}
