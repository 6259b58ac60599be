import { notFound } from "next/navigation";
import { AppError } from "../errors";

export type PageData<T> = { ok: true; data: T } | { ok: false; error: string };

/** For server components: a missing thing becomes the 404 page; a refusal becomes a message to render. */
export async function pageData<T>(load: Promise<T>): Promise<PageData<T>> {
  try {
    return { ok: true, data: await load };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}
