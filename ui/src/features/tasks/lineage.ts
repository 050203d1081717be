// The lineage tree flattened into the items a person can currently see (closed items hide
// their descendants), in reading order, with what keyboard navigation needs: depth and parent.
import type { LineageNode } from "../../ipc";

export interface FlatNode {
  node: LineageNode;
  depth: number;
  parentId: string | null;
  /** Index of the parent in the flat list, for ArrowLeft. */
  parentIndex: number | null;
}

/** Depth-first, children in the order the core gives them (oldest first). */
export function visibleNodes(root: LineageNode, closed: ReadonlySet<string>): FlatNode[] {
  const out: FlatNode[] = [];
  const walk = (node: LineageNode, depth: number, parentIndex: number | null) => {
    const index = out.length;
    const parent = parentIndex === null ? undefined : out[parentIndex];
    out.push({ node, depth, parentId: parent ? parent.node.task.id : null, parentIndex });
    if (closed.has(node.task.id)) return;
    for (const child of node.children) walk(child, depth + 1, index);
  };
  walk(root, 0, null);
  return out;
}

/** How many tasks the tree holds, open or not. */
export function lineageSize(root: LineageNode): number {
  return 1 + root.children.reduce((n, c) => n + lineageSize(c), 0);
}
