package dev.portcullis.jdbc;

import java.util.ArrayList;
import java.util.List;

/**
 * An insert-or-update of one row by its primary key, written once for every database and turned
 * into SQL by {@link JdbcDialect#upsert}: insert {@code values} into {@code columns} (the key
 * column first) or, when a row with that key exists, apply {@code assignments} to it; then return
 * the {@code returning} columns of the row as it is afterwards.
 *
 * <p>Assignments are {@code column = expression} terms whose {@code ?} parameters are
 * {@code assignmentParams}, in order. An expression names the existing row's columns as
 * {@code <table>.<column>}, and reads only columns that no earlier assignment has changed:
 * MariaDB/MySQL evaluate assignments left to right with the values already changed, H2 and
 * PostgreSQL against the old row; so ordered, both mean the same.
 */
record Upsert(String table, List<String> columns, List<Object> values, List<String> assignments,
        List<Object> assignmentParams, String returning) {

    Upsert {
        columns = List.copyOf(columns);
        values = List.copyOf(values);
        assignments = List.copyOf(assignments);
        assignmentParams = List.copyOf(assignmentParams);
        if (columns.isEmpty() || columns.size() != values.size() || assignments.isEmpty()) {
            throw new IllegalArgumentException("an upsert needs a value for each column, the key first, and an assignment");
        }
    }

    String key() {
        return columns.get(0);
    }

    Object keyValue() {
        return values.get(0);
    }

    String columnList() {
        return String.join(", ", columns);
    }

    /** {@code ?, ?, ...}, one per column. */
    String placeholders() {
        return "?, ".repeat(columns.size() - 1) + "?";
    }

    String assignmentList() {
        return String.join(", ", assignments);
    }

    /** The values, then the assignments' parameters: the order of the {@code ?} in every dialect's statement. */
    Object[] params() {
        List<Object> all = new ArrayList<>(values);
        all.addAll(assignmentParams);
        return all.toArray();
    }
}
