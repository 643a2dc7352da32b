/** The app's icons by name, drawn by Lucide (lucide-react); decorative unless given a label. */
import {
  Bell,
  Check,
  ChevronLeft,
  ChevronRight,
  Clipboard,
  Copy,
  Database,
  Download,
  Eye,
  Flame,
  Globe,
  History,
  House,
  Inbox,
  KeyRound,
  LogOut,
  Mail,
  PanelLeftClose,
  PanelLeftOpen,
  Monitor,
  Moon,
  NotebookPen,
  Pencil,
  Plus,
  MousePointerClick,
  Play,
  Plug,
  RefreshCw,
  Search,
  Send,
  Settings,
  Sun,
  TriangleAlert,
  Users,
  X,
  Zap,
  type LucideIcon,
} from 'lucide-react';

const ICONS = {
  bell: Bell,
  home: House,
  users: Users,
  inbox: Inbox,
  zap: Zap,
  history: History,
  plug: Plug,
  send: Send,
  settings: Settings,
  copy: Copy,
  check: Check,
  search: Search,
  download: Download,
  sun: Sun,
  moon: Moon,
  monitor: Monitor,
  x: X,
  back: ChevronLeft,
  forward: ChevronRight,
  refresh: RefreshCw,
  alert: TriangleAlert,
  flame: Flame,
  play: Play,
  globe: Globe,
  mail: Mail,
  pointer: MousePointerClick,
  eye: Eye,
  clipboard: Clipboard,
  logout: LogOut,
  key: KeyRound,
  database: Database,
  'menu-close': PanelLeftClose,
  'menu-open': PanelLeftOpen,
  pencil: Pencil,
  plus: Plus,
  note: NotebookPen,
} satisfies Record<string, LucideIcon>;

export type IconName = keyof typeof ICONS;

export function Icon({ name, size = 18, label, className }: { name: IconName; size?: number; label?: string; className?: string }) {
  const Glyph = ICONS[name];
  return (
    <Glyph
      className={className ? `icon ${className}` : 'icon'}
      size={size}
      strokeWidth={1.8}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
    />
  );
}
