/** Value types of the domain. Immutable (except {@link dev.portcullis.model.RawPassword}, which wipes itself), validated on construction. */
package dev.portcullis.model;
