#include "eval/assignment.hpp"

#include <algorithm>
#include <limits>

namespace mtcnn::cli {

namespace {

// Minimum-cost assignment of n rows to m >= n columns with row and column potentials (u, v):
// each row is added in turn and joined by the cheapest augmenting path of a Dijkstra-like search
// over reduced costs. O(n^2 m). Costs are 1-based internally; column 0 is the search's root.
std::vector<std::size_t> min_cost_rows_to_columns(const std::vector<std::vector<double>>& cost,
                                                  std::size_t n, std::size_t m) {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
  std::vector<std::size_t> row_of_column(m + 1, 0), previous_column(m + 1, 0);
  for (std::size_t row = 1; row <= n; ++row) {
    row_of_column[0] = row;
    std::size_t column = 0;
    std::vector<double> slack(m + 1, kInfinity);
    std::vector<bool> visited(m + 1, false);
    do {
      visited[column] = true;
      const std::size_t current_row = row_of_column[column];
      double delta = kInfinity;
      std::size_t next_column = 0;
      for (std::size_t c = 1; c <= m; ++c) {
        if (visited[c]) continue;
        const double reduced = cost[current_row - 1][c - 1] - u[current_row] - v[c];
        if (reduced < slack[c]) {
          slack[c] = reduced;
          previous_column[c] = column;
        }
        if (slack[c] < delta) {
          delta = slack[c];
          next_column = c;
        }
      }
      for (std::size_t c = 0; c <= m; ++c) {
        if (visited[c]) {
          u[row_of_column[c]] += delta;
          v[c] -= delta;
        } else {
          slack[c] -= delta;
        }
      }
      column = next_column;
    } while (row_of_column[column] != 0);
    do {  // flip the augmenting path
      const std::size_t before = previous_column[column];
      row_of_column[column] = row_of_column[before];
      column = before;
    } while (column != 0);
  }
  std::vector<std::size_t> column_of_row(n, m);
  for (std::size_t c = 1; c <= m; ++c) {
    if (row_of_column[c] != 0) column_of_row[row_of_column[c] - 1] = c - 1;
  }
  return column_of_row;
}

}  // namespace

std::vector<std::optional<std::size_t>> max_weight_assignment(
    const std::vector<std::vector<double>>& weights) {
  const std::size_t rows = weights.size();
  const std::size_t columns = rows == 0 ? 0 : weights[0].size();
  std::vector<std::optional<std::size_t>> assignment(rows);
  if (rows == 0 || columns == 0) return assignment;

  // The solver needs at least as many columns as rows: transpose when there are more rows.
  const bool transposed = rows > columns;
  const std::size_t n = transposed ? columns : rows;
  const std::size_t m = transposed ? rows : columns;
  double largest = 0.0;
  for (const auto& row : weights)
    largest = std::max(largest, *std::max_element(row.begin(), row.end()));
  std::vector<std::vector<double>> cost(n, std::vector<double>(m));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      cost[i][j] = largest - (transposed ? weights[j][i] : weights[i][j]);
    }
  }
  const std::vector<std::size_t> chosen = min_cost_rows_to_columns(cost, n, m);
  for (std::size_t i = 0; i < n; ++i) {
    if (transposed) {
      assignment[chosen[i]] = i;
    } else {
      assignment[i] = chosen[i];
    }
  }
  return assignment;
}

}  // namespace mtcnn::cli
