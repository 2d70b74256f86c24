// The header cells of a data table: one column header per name, then an "Actions" column whose
// name only screen readers hear (its cells hold each row's buttons).
export function ColumnHeads({ names }: { names: readonly string[] }) {
  return (
    <>
      {names.map((name) => (
        <th key={name} scope="col">
          {name}
        </th>
      ))}
      <th scope="col">
        <span className="visually-hidden">Actions</span>
      </th>
    </>
  );
}
