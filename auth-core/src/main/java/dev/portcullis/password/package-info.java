/** Password hashing (Argon2id, legacy bcrypt verification) and the password policy. */
package dev.portcullis.password;
