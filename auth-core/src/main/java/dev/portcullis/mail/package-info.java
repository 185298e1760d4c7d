/** Mail texts and the development mailer; the SMTP mailer lives in {@code auth-mail}. */
package dev.portcullis.mail;
