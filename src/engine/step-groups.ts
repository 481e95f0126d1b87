// Attack steps in the order they start: each group's steps run side by side (a step marked
// concurrent joins the group of the step before it); groups run one after the other.

export function stepGroups<T extends { readonly concurrent: boolean }>(steps: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const step of steps) {
    if (step.concurrent && groups.length > 0) groups[groups.length - 1].push(step);
    else groups.push([step]);
  }
  return groups;
}
