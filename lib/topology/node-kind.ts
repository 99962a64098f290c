/**
 * What a topology node does. Generated node names start with it (`FILTER-0000000002`);
 * `describe()` prints it next to every node.
 *
 * @example
 * const kind: NodeKind = 'MAPVALUES';
 */
export type NodeKind =
  | 'SOURCE'
  | 'FILTER'
  | 'FILTERNOT'
  | 'MAP'
  | 'MAPVALUES'
  | 'MAPKEYS'
  | 'FLATMAP'
  | 'FLATMAPVALUES'
  | 'PEEK'
  | 'PROCESSOR'
  | 'AGGREGATE'
  | 'REDUCE'
  | 'TABLE'
  | 'JOIN'
  | 'LEFTJOIN'
  | 'BRANCH'
  | 'BRANCHCHILD'
  | 'SINK'
  | 'FOREACH';
