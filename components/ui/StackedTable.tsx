import type { ComponentProps, ReactNode } from "react";

// The one table pattern for MyAccount and the console: see `.stacked-table` in app/globals.css.
// Below 640 px rows are stacked blocks; the explicit roles keep them a table for screen readers
// (a table displayed as blocks loses its table semantics in some browsers).

export type Column = {
  label: string;
  /** Numbers: right-aligned from 640 px up (stacked rows read left to right). */
  numeric?: boolean;
  className?: string;
};

/** A data table with a caption (visually hidden unless `captionClassName` says otherwise). */
export function StackedTable({
  caption,
  captionClassName = "sr-only",
  columns,
  className,
  children,
  ...rest
}: Omit<ComponentProps<"table">, "role"> & {
  caption: ReactNode;
  captionClassName?: string;
  columns: readonly Column[];
}) {
  return (
    <table role="table" className={classes("stacked-table", className)} {...rest}>
      <caption className={captionClassName}>{caption}</caption>
      <thead role="rowgroup">
        <tr role="row">
          {columns.map((c) => (
            <th
              key={c.label}
              role="columnheader"
              scope="col"
              className={classes(c.numeric ? "sm:text-right" : undefined, c.className)}
            >
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">{children}</tbody>
    </table>
  );
}

export function Row(props: Omit<ComponentProps<"tr">, "role">) {
  return <tr role="row" {...props} />;
}

/**
 * One cell. `label` is its column's name, shown before the value on narrow screens (leave it out
 * for a cell that spans the row); `rowHeader` makes it the row's header.
 */
export function Cell({
  label,
  numeric,
  rowHeader,
  className,
  ...rest
}: Omit<ComponentProps<"td">, "role"> & { label?: string; numeric?: boolean; rowHeader?: boolean }) {
  const props = {
    "data-label": label,
    className: classes(numeric ? "tabular-nums sm:text-right" : undefined, className),
    ...rest,
  };
  return rowHeader ? <th role="rowheader" scope="row" {...props} /> : <td role="cell" {...props} />;
}

function classes(...names: (string | undefined)[]): string | undefined {
  return names.filter(Boolean).join(" ") || undefined;
}
