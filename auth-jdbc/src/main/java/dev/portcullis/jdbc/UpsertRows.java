package dev.portcullis.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link Upsert} of several rows in one statement (where the database allows it), turned into SQL by
 * {@link JdbcDialect#upsertRows}: each of {@code rows} is inserted into {@code columns} (the key
 * column first) or, when a row with its key exists, {@code assignments} are applied to that row; the
 * {@code returning} columns (which must include the key, to tell the rows apart) come back for every
 * row as it is afterwards. The assignments are the same for every row: an expression that must
 * differ per row reads the existing row's key ({@code CASE <table>.<key> WHEN ? THEN ? ... END}).
 * The same rules for assignments as in {@link Upsert}. Rows are written in the order given: callers
 * that lock several rows sort them, so two statements never wait on each other's rows.
 */
record UpsertRows(String table, List<String> columns, List<List<Object>> rows, List<String> assignments,
        List<Object> assignmentParams, String returning) {

    UpsertRows {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
        assignments = List.copyOf(assignments);
        assignmentParams = List.copyOf(assignmentParams);
        int width = columns.size();
        if (width == 0 || rows.isEmpty() || assignments.isEmpty() || rows.stream().anyMatch(r -> r.size() != width)) {
            throw new IllegalArgumentException("an upsert needs rows with a value for each column, the key first, and an assignment");
        }
    }

    String key() {
        return columns.get(0);
    }

    Object[] keyValues() {
        return rows.stream().map(r -> r.get(0)).toArray();
    }

    String columnList() {
        return String.join(", ", columns);
    }

    /** {@code (?, ?), (?, ?)}: one group per row, one {@code ?} per column. */
    String valueGroups() {
        String one = "(" + "?, ".repeat(columns.size() - 1) + "?)";
        return String.join(", ", Collections.nCopies(rows.size(), one));
    }

    /** {@code ?, ?}: one per row, for {@code key IN (...)}. */
    String keyPlaceholders() {
        return "?, ".repeat(rows.size() - 1) + "?";
    }

    String assignmentList() {
        return String.join(", ", assignments);
    }

    /** Every row's values, then the assignments' parameters: the order of the {@code ?} in every dialect's statement. */
    Object[] params() {
        List<Object> all = new ArrayList<>();
        rows.forEach(all::addAll);
        all.addAll(assignmentParams);
        return all.toArray();
    }
}
