/** Lists as api.video pages them: `currentPage` and `pageSize` in, `data` and `pagination` with links out. */
import type { SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { problem } from "./simulatorProblems";

/** Which page of a list a request asks for. */
export interface Paging {
  currentPage: number;
  pageSize: number;
}

/** `currentPage` and `pageSize` of a list request, checked as api.video checks them. */
export function readPaging(query: URLSearchParams): Paging | { error: SimulatorResponse } {
  const currentPage = Number(query.get("currentPage") ?? 1);
  const pageSize = Number(query.get("pageSize") ?? 25);
  if (!Number.isInteger(currentPage) || currentPage < 1) {
    return {
      error: problem(
        400,
        "invalid-attribute",
        "This attribute must be a positive integer.",
        undefined,
        "currentPage",
      ),
    };
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    return {
      error: problem(
        400,
        "invalid-attribute",
        "This attribute must be from 1 to 100.",
        undefined,
        "pageSize",
      ),
    };
  }
  return { currentPage, pageSize };
}

/** One page of `items` in api.video's list format, with its pagination links. */
export function paginate<T, U>(
  items: T[],
  page: Paging,
  request: SimulatorRequest,
  path: string,
  render: (item: T) => U,
) {
  const pagesTotal = Math.max(1, Math.ceil(items.length / page.pageSize));
  const slice = items.slice((page.currentPage - 1) * page.pageSize, page.currentPage * page.pageSize);
  const link = (rel: string, currentPage: number) => {
    const query = new URLSearchParams(request.query);
    query.set("currentPage", String(currentPage));
    query.set("pageSize", String(page.pageSize));
    return { rel, uri: `${request.baseUrl}${path}?${query.toString()}` };
  };
  const links = [link("self", page.currentPage), link("first", 1), link("last", pagesTotal)];
  if (page.currentPage > 1) links.push(link("previous", page.currentPage - 1));
  if (page.currentPage < pagesTotal) links.push(link("next", page.currentPage + 1));
  return {
    data: slice.map(render),
    pagination: {
      currentPage: page.currentPage,
      currentPageItems: slice.length,
      pageSize: page.pageSize,
      pagesTotal,
      itemsTotal: items.length,
      links,
    },
  };
}
