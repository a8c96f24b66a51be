"use client";

import { useEffect, useRef, useState } from "react";

/**
 * `value`, passed on at most once every `ms` (the newest value always arrives). For parts of
 * the page a person reads rather than watches, such as the hop log and the figures, so a fast
 * stream re-renders them a few times a second instead of every frame.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    const wait = lastAt.current + ms - Date.now();
    if (wait <= 0) {
      lastAt.current = Date.now();
      setShown(value);
      return;
    }
    const timer = setTimeout(() => {
      lastAt.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}
