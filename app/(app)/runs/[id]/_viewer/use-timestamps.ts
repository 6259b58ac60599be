"use client";

import { useCallback, useEffect, useState } from "react";

const KEY = "handrail.output.timestamps";

/** The timestamps toggle, remembered in this browser. Read after mount so server and client render alike. */
export function useTimestamps(): [boolean, (show: boolean) => void] {
  const [show, setShow] = useState(false);
  useEffect(() => {
    setShow(window.localStorage.getItem(KEY) === "1");
  }, []);
  const update = useCallback((next: boolean) => {
    setShow(next);
    window.localStorage.setItem(KEY, next ? "1" : "0");
  }, []);
  return [show, update];
}
