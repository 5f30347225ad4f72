/** The shift report: collect the data of one execution, render it as one HTML file, write it. */
export { type CollectInput, collectReport } from './collect';
export { renderReport } from './render';
export type * from './types';
export { writeReport } from './write';
