/**
 * Entry point: {@link dev.portcullis.Portcullis}, its input records and sealed results, and the
 * policies that configure it.
 */
package dev.portcullis;
