/**
 * The one error type of Basalt: {@link io.basalt.error.BasaltException} carrying a
 * {@link io.basalt.error.SqlState} plus the optional fields PostgreSQL sends with an error.
 */
package io.basalt.error;
